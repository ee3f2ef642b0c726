package com.databox.cmk.testing.inmemory;

import com.databox.cmk.outbox.CmkEvent;
import com.databox.cmk.outbox.CmkEvents;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** The events queue in memory: what a Logic App would have been told, in order, redeliveries included. */
public final class InMemoryEvents implements CmkEvents {
    private final List<CmkEvent> published = new CopyOnWriteArrayList<>();

    @Override
    public void publish(CmkEvent event) {
        published.add(event);
    }

    public List<CmkEvent> published() {
        return List.copyOf(published);
    }

    /** The events as "type orderName", the shape most assertions want. */
    public List<String> summary() {
        return published.stream()
                .map(e -> e.event().type() + " " + e.order().name())
                .toList();
    }
}
