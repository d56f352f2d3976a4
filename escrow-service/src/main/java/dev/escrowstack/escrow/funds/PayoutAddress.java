package dev.escrowstack.escrow.funds;

import static java.lang.annotation.ElementType.*;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;

import jakarta.validation.Constraint;
import jakarta.validation.Payload;

/**
 * A Monero address of the configured network ({@code escrow.funds.network}), checked with {@link MoneroAddress}
 * before any money can move to it. Null passes: a payout address is optional until a payout needs it. The
 * violation's message says what is wrong (length, base58, network, checksum), so a typo is named.
 */
@Documented
@Constraint(validatedBy = PayoutAddressValidator.class)
@Target({ METHOD, FIELD, ANNOTATION_TYPE, CONSTRUCTOR, PARAMETER, TYPE_USE })
@Retention(RUNTIME)
public @interface PayoutAddress {

    String message() default "is not a Monero address of the configured network";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};
}
