package com.databox.cmk.outbox;

/** Where events for Logic Apps go; only the {@link OutboxRelay} publishes, after the change is stored. */
public interface CmkEvents {
    void publish(CmkEvent event);
}
