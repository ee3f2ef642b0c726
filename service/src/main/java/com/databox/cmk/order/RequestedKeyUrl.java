package com.databox.cmk.order;

import com.databox.cmk.error.ServiceException;
import com.databox.cmk.unlockkey.KeyUrl;

/**
 * A key URL as a request gives it, read once where the request is read: the {@link KeyUrl} it names, or why it names
 * none. That refusal is answered where the operation checks the key, after the order is read (so a missing order
 * is still {@code 404}, a stale {@code If-Match} {@code 412}), and {@code validate} reports it as the key URL's failed
 * check rather than refusing the request.
 *
 * @param asGiven the text as the request gave it, which a validation report shows
 */
public record RequestedKeyUrl(String asGiven, Outcome<KeyUrl> key) {

    public static RequestedKeyUrl read(String text) {
        try {
            return new RequestedKeyUrl(text, Outcome.allowed(KeyUrl.parse(text)));
        } catch (ServiceException notAKeyUrl) {
            return new RequestedKeyUrl(
                    text, Outcome.refused(notAKeyUrl.code(), notAKeyUrl.getMessage(), notAKeyUrl.target()));
        }
    }

    /** A key the service names itself (the order's own, its versionless URL). */
    public static RequestedKeyUrl of(KeyUrl key) {
        return new RequestedKeyUrl(key.keyId(), Outcome.allowed(key));
    }

    /** The key URL; one that is none is refused as {@link KeyUrl#parse} refuses it. */
    public KeyUrl orElseThrow() {
        return key.orElseThrow();
    }

    public boolean isKeyUrl() {
        return key.isAllowed();
    }

    /** A key URL that names no version; false for one that is no key URL (its own check answers it). */
    public boolean namesNoVersion() {
        return key instanceof Outcome.Allowed<KeyUrl> allowed
                && !allowed.value().isVersioned();
    }

    @Override
    public String toString() {
        return asGiven;
    }
}
