package com.databox.cmk.keyvault;

import com.azure.core.exception.HttpResponseException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;

/**
 * Key Vault's error answer, {@code {"error":{"code","message","innererror":{"code"}}}}, read once
 * into types: the mapping switches on {@link Code}, never on message text (ERRORS.md).
 */
record VaultErrorBody(int status, String code, Code innerCode) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The codes Key Vault puts in {@code error.code} or {@code error.innererror.code} that the mapping tells apart. */
    enum Code {
        AccessDenied,
        ForbiddenByPolicy,
        ForbiddenByFirewall,
        ForbiddenByRbac,
        KeyDisabled,
        KeyExpired,
        KeyNotFound,
        BadParameter,
        Unauthorized,
        Throttled,
        Other;

        static Code of(String text) {
            if (text == null) {
                return Other;
            }
            for (Code code : values()) {
                if (code.name().equalsIgnoreCase(text.trim())) {
                    return code;
                }
            }
            return Other;
        }
    }

    /** The most specific code: the inner one when there is one, else the outer. */
    Code kind() {
        return innerCode != Code.Other ? innerCode : Code.of(code);
    }

    static VaultErrorBody of(HttpResponseException e) {
        int status = e.getResponse().getStatusCode();
        JsonNode error = errorNode(e);
        String code = error == null ? null : text(error.path("code"));
        String inner = error == null
                ? null
                : text(
                        error.has("innererror")
                                ? error.path("innererror").path("code")
                                : error.path("innerError").path("code"));
        return new VaultErrorBody(status, code, Code.of(inner));
    }

    /** The SDK gives the parsed body as its value (a map or a model) or only in its message; read whichever is JSON. */
    private static JsonNode errorNode(HttpResponseException e) {
        Object value = e.getValue();
        JsonNode node = null;
        try {
            if (value instanceof Map<?, ?> || value instanceof JsonNode) {
                node = JSON.valueToTree(value);
            } else if (value instanceof String text && text.trim().startsWith("{")) {
                node = JSON.readTree(text);
            } else if (value instanceof byte[] bytes) {
                node = JSON.readTree(bytes);
            } else if (value != null && value.getClass().getName().equals("com.azure.core.util.BinaryData")) {
                node = JSON.readTree(value.toString());
            }
        } catch (Exception unreadable) {
            node = null;
        }
        if (node == null && e.getMessage() != null && e.getMessage().indexOf('{') >= 0) {
            try {
                String message = e.getMessage();
                node = JSON.readTree(message.substring(message.indexOf('{'), message.lastIndexOf('}') + 1));
            } catch (Exception unreadable) {
                node = null;
            }
        }
        if (node == null) {
            return null;
        }
        return node.has("error") ? node.get("error") : node;
    }

    private static String text(JsonNode node) {
        return node.isTextual() && !node.asText().isBlank() ? node.asText().trim() : null;
    }
}
