package com.databox.cmk.testing.inmemory;

import com.databox.cmk.audit.CmkEvent;
import com.databox.cmk.audit.CmkEvents;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** The events queue in memory: what a Logic App would have been told, in order. */
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
        return published.stream().map(e -> e.type() + " " + e.orderName()).toList();
    }
}
