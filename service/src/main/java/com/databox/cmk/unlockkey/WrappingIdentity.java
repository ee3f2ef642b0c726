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
     * @param shownAs how messages name it: a customer's identity by its resource ID; an order's
     *     system-assigned one never by the resource ID of the identity that backs it (issue 12)
     */
    record ManagedIdentity(String resourceId, String shownAs) implements WrappingIdentity {
        public ManagedIdentity(String resourceId) {
            this(resourceId, "the identity " + resourceId);
        }

        /** ARM resource IDs are case-insensitive. */
        @Override
        public String key() {
            return resourceId.toLowerCase(java.util.Locale.ROOT);
        }

        /** The same identity however it is shown. */
        @Override
        public boolean equals(Object other) {
            return other instanceof ManagedIdentity m && key().equals(m.key());
        }

        @Override
        public int hashCode() {
            return key().hashCode();
        }
    }

    /** A stable key for caches per identity. */
    String key();

    WrappingIdentity SERVICE = new ServiceIdentity();
}
