package com.databox.cmk.unlockkey;

/** Whose token is used to reach a key: the service's own identity, or a managed identity by resource ID. */
public sealed interface WrappingIdentity {
    record ServiceIdentity() implements WrappingIdentity {
        @Override
        public String key() {
            return "service";
        }
    }

    record ManagedIdentity(String resourceId) implements WrappingIdentity {
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
