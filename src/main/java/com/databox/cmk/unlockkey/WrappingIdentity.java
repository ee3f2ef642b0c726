package com.databox.cmk.unlockkey;

/** Whose token is used to reach a key: the service's own identity, or a managed identity by resource ID. */
public sealed interface WrappingIdentity {
    record ServiceIdentity() implements WrappingIdentity {
    }

    record ManagedIdentity(String resourceId) implements WrappingIdentity {
    }

    WrappingIdentity SERVICE = new ServiceIdentity();
}
