package dev.escrowstack.escrow.funds;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;

import org.hibernate.validator.constraintvalidation.HibernateConstraintValidatorContext;

/** {@link PayoutAddress}: a bean, because the network comes from configuration. */
@ApplicationScoped
public class PayoutAddressValidator implements ConstraintValidator<PayoutAddress, String> {

    private final MoneroAddress.Network network;

    public PayoutAddressValidator(FundsConfig config) {
        this.network = config.network();
    }

    @Override
    public boolean isValid(String address, ConstraintValidatorContext context) {
        if (address == null) {
            return true;
        }
        Optional<String> problem = MoneroAddress.problem(address, network);
        problem.ifPresent(why -> {
            // A message parameter, not a template of its own: what the check says is never interpolated.
            context.disableDefaultConstraintViolation();
            context.unwrap(HibernateConstraintValidatorContext.class).addMessageParameter("problem", why)
                    .buildConstraintViolationWithTemplate("{problem}").addConstraintViolation();
        });
        return problem.isEmpty();
    }
}
