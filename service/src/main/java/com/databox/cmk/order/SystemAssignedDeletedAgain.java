package com.databox.cmk.order;

import com.databox.cmk.error.ServiceException;

/**
 * A key refused for the system-assigned identity the same request made (not granted yet, which it cannot
 * be): that identity is deleted again with the rest of the request, so the principal ID the refusal names can
 * never be granted, and the same request again makes another, with another ID. The refusal says so, and what
 * to do instead.
 */
public final class SystemAssignedDeletedAgain {
    /** For a request that creates the order (or job) with the key. */
    public static final String CREATE_WITHOUT_THE_KEY_FIRST =
            "Create it with the system-assigned identity and without the customer-managed key (the Microsoft-managed"
                    + " key protects it meanwhile), grant the principal ID it answers Get, WrapKey and UnwrapKey on"
                    + " the key, then enable the key in another request (a job: PATCH its keyEncryptionKey).";

    /** For a change that adds the identity and moves the key to it. */
    public static final String ADD_THE_IDENTITY_FIRST =
            "Add the system-assigned identity in a request of its own (only 'identity'), grant the principal"
                    + " ID it answers Get, WrapKey and UnwrapKey on the key, then change the key's identity"
                    + " to it in another request.";

    private SystemAssignedDeletedAgain() {}

    /**
     * {@code refused}, saying so when it is a refusal (not an outage) and the request made the system-assigned
     * identity ({@code before} had none, {@code made} has one).
     */
    public static RuntimeException refusal(
            RuntimeException refused, OrderIdentity before, OrderIdentity made, String resolution) {
        if (!(refused instanceof ServiceException e)
                || e.retryAfter() != null
                || before.systemAssigned() != null
                || made.systemAssigned() == null) {
            return refused;
        }
        return new ServiceException(
                e.code(),
                e.getMessage() + " The system-assigned identity this request made (principal "
                        + made.systemAssigned().principalId()
                        + ") was deleted again with the rest of the request; the same request would make a new"
                        + " one, with another principal ID.",
                e.target(),
                null,
                e,
                resolution);
    }
}
