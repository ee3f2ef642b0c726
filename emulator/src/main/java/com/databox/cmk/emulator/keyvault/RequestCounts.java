package com.databox.cmk.emulator.keyvault;

import java.util.Map;

/** Data-plane calls that reached a vault, per operation (a key permission name). */
public record RequestCounts(String vault, long total, Map<String, Long> byOperation) {

    public long of(String operation) {
        return byOperation.getOrDefault(operation, 0L);
    }
}
