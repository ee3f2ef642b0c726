package com.databox.cmk.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * The records logged through the root logger (java.util.logging, where JBoss LogManager sends every
 * logger's records) from {@link #capture} to {@link #close}, those the test keeps.
 */
public final class LoggedRecords extends Handler implements AutoCloseable {
    private final Predicate<LogRecord> kept;
    private final List<LogRecord> records = new CopyOnWriteArrayList<>();

    private LoggedRecords(Predicate<LogRecord> kept) {
        this.kept = kept;
    }

    /** Keeps what {@code kept} accepts, logged from now until closed. */
    public static LoggedRecords capture(Predicate<LogRecord> kept) {
        LoggedRecords logged = new LoggedRecords(kept);
        Logger.getLogger("").addHandler(logged);
        return logged;
    }

    /** What was kept so far; still readable once closed. */
    public List<LogRecord> records() {
        return records;
    }

    @Override
    public void publish(LogRecord logged) {
        if (kept.test(logged)) {
            records.add(logged);
        }
    }

    @Override
    public void flush() {}

    @Override
    public void close() {
        Logger.getLogger("").removeHandler(this);
    }
}
