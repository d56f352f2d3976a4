package dev.escrowstack.escrow.funds;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;

import org.hibernate.validator.constraintvalidation.HibernateConstraintValidatorContext;

/**
 * {@link PayoutAddress}: a bean, because the network comes from configuration. Quarkus builds the validator
 * factory, validators included, at static init, before runtime configuration exists: so the configuration is
 * looked up when an address is checked, not when the validator is made.
 */
@ApplicationScoped
public class PayoutAddressValidator implements ConstraintValidator<PayoutAddress, String> {

    private final Instance<FundsConfig> config;

    public PayoutAddressValidator(Instance<FundsConfig> config) {
        this.config = config;
    }

    @Override
    public boolean isValid(String address, ConstraintValidatorContext context) {
        if (address == null) {
            return true;
        }
        Optional<String> problem = MoneroAddress.problem(address, config.get().network());
        problem.ifPresent(why -> {
            // A message parameter, not a template of its own: what the check says is never interpolated.
            context.disableDefaultConstraintViolation();
            context.unwrap(HibernateConstraintValidatorContext.class).addMessageParameter("problem", why)
                    .buildConstraintViolationWithTemplate("{problem}").addConstraintViolation();
        });
        return problem.isEmpty();
    }
}
