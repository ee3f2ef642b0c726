package com.databox.cmk.jobs;

import com.databox.cmk.order.Order;

/** A job as ARM shows it: its ARM-only record and the order behind it. */
public record JobView(JobRecord record, Order order) {}
