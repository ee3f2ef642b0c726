package com.databox.cmk.audit;

/** Where events for Logic Apps go. */
public interface CmkEvents {
    void publish(CmkEvent event);
}
