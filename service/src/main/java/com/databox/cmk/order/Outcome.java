package com.databox.cmk.order;

import com.databox.cmk.error.ErrorCode;
import com.databox.cmk.error.ServiceException;
import java.util.function.Function;

/**
 * What a rule of the order decides: allowed (with what follows from it) or refused (with the
 * contract's code, a message for the caller, and the request field at fault).
 */
public sealed interface Outcome<T> {
    record Allowed<T>(T value) implements Outcome<T> {}

    record Refused<T>(ErrorCode code, String message, String target) implements Outcome<T> {
        public ServiceException toException() {
            return new ServiceException(code, message, target);
        }
    }

    static <T> Outcome<T> allowed(T value) {
        return new Allowed<>(value);
    }

    static <T> Outcome<T> refused(ErrorCode code, String message, String target) {
        return new Refused<>(code, message, target);
    }

    default boolean isAllowed() {
        return this instanceof Allowed<T>;
    }

    /** The allowed value; a refusal is thrown as the {@link ServiceException} the caller answers with. */
    default T orElseThrow() {
        return switch (this) {
            case Allowed<T> allowed -> allowed.value();
            case Refused<T> refused -> throw refused.toException();
        };
    }

    default <U> Outcome<U> map(Function<? super T, ? extends U> next) {
        return switch (this) {
            case Allowed<T> allowed -> new Allowed<>(next.apply(allowed.value()));
            case Refused<T> refused -> new Refused<>(refused.code(), refused.message(), refused.target());
        };
    }
}
