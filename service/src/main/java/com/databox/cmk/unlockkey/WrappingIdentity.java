package com.databox.cmk.unlockkey;

/** Whose token is used to reach a key: the service's own identity, or a managed identity by resource ID. */
public sealed interface WrappingIdentity {
    record ServiceIdentity() implements WrappingIdentity {
        @Override
        public String key() {
            return "service";
        }
    }

    /**
     * @param systemAssigned the order's system-assigned identity (it answers other error codes than a
     *     user-assigned one when it fails: ERRORS.md)
     */
    record ManagedIdentity(String resourceId, boolean systemAssigned) implements WrappingIdentity {
        /** A user-assigned identity. */
        public ManagedIdentity(String resourceId) {
            this(resourceId, false);
        }

        /** ARM resource IDs are case-insensitive. */
        @Override
        public String key() {
            return resourceId.toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** A stable key for caches per identity. */
    String key();

    WrappingIdentity SERVICE = new ServiceIdentity();
}
