package com.databox.cmk.emulator.keyvault;

import com.databox.cmk.emulator.http.Json;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Key Vault's paged lists: {@code maxresults} (1 to 25, default 25) items per page, and a {@code nextLink} that
 * carries the api-version, the page size and an opaque {@code $skiptoken} while more items follow.
 */
final class Pages {

    static final int MAX_RESULTS = 25;

    private Pages() {}

    static ObjectNode page(List<ObjectNode> items, Map<String, String> query, String requestUrl) {
        int size = pageSize(query.get("maxresults"));
        int from = skip(query.get("$skiptoken"));
        int to = Math.min(items.size(), from + size);
        ObjectNode page = Json.object();
        ArrayNode value = page.putArray("value");
        if (from < items.size()) {
            items.subList(from, to).forEach(value::add);
        }
        if (to < items.size()) {
            page.put(
                    "nextLink",
                    requestUrl + "?api-version=" + encode(query.get("api-version")) + "&maxresults=" + size
                            + "&$skiptoken=" + encode(token(to)));
        } else {
            page.putNull("nextLink");
        }
        return page;
    }

    private static int pageSize(String maxResults) {
        if (maxResults == null || maxResults.isBlank()) {
            return MAX_RESULTS;
        }
        try {
            int size = Integer.parseInt(maxResults.trim());
            if (size >= 1 && size <= MAX_RESULTS) {
                return size;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw DataPlaneErrors.badParameter(
                "The value '" + maxResults + "' of maxresults is invalid; use 1 to " + MAX_RESULTS + ".");
    }

    private static String token(int offset) {
        return Json.base64Url(("offset:" + offset).getBytes(StandardCharsets.US_ASCII));
    }

    private static int skip(String token) {
        if (token == null || token.isBlank()) {
            return 0;
        }
        try {
            String text = new String(Json.fromBase64Url(token), StandardCharsets.US_ASCII);
            if (text.startsWith("offset:")) {
                int offset = Integer.parseInt(text.substring(7));
                if (offset >= 0) {
                    return offset;
                }
            }
        } catch (IllegalArgumentException e) {
            // answered below
        }
        throw DataPlaneErrors.badParameter("The $skiptoken is invalid.");
    }

    private static String encode(String text) {
        return URLEncoder.encode(text == null ? "" : text, StandardCharsets.UTF_8);
    }
}
