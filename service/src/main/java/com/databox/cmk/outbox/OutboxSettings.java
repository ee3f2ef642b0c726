package com.databox.cmk.outbox;

/**
 * @param pageSize pending events read per page of a sweep
 * @param maxPerSweep events one sweep handles at most; the next sweep goes on from the start
 */
public record OutboxSettings(int pageSize, int maxPerSweep) {
    public OutboxSettings {
        if (pageSize < 1 || maxPerSweep < 1) {
            throw new IllegalArgumentException("The outbox sweep needs a page size and a cap of at least 1");
        }
    }
}
