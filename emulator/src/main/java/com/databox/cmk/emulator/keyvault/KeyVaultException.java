package com.databox.cmk.emulator.keyvault;

import java.util.Map;

/** A Key Vault error answer: status, {@code error.code}, message, optional inner code and headers. */
public final class KeyVaultException extends RuntimeException {

    private final int status;
    private final String code;
    private final String innerCode;
    private final Map<String, String> headers;

    KeyVaultException(int status, String code, String message, String innerCode, Map<String, String> headers) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.innerCode = innerCode;
        this.headers = Map.copyOf(headers);
    }

    public int status() {
        return status;
    }

    String code() {
        return code;
    }

    String innerCode() {
        return innerCode;
    }

    Map<String, String> headers() {
        return headers;
    }
}
