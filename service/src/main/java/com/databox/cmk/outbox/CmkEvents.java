package com.databox.cmk.outbox;

/** Where events for Logic Apps go; only the {@link OutboxRelay} publishes, after the change is stored. */
public interface CmkEvents {
    void publish(CmkEvent event);

    /**
     * Delivers, at most {@code max}, events published where no subscriber may read them any more (an earlier
     * release's one queue for every tenant), as the sweep finds them; none by default. @return how many
     */
    default int deliverLeftBehind(int max) {
        return 0;
    }
}
