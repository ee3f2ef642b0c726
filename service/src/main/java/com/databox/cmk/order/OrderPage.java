package com.databox.cmk.order;

import java.util.List;

/** One page of orders; {@code continuation} is null on the last page. */
public record OrderPage(List<Order> orders, String continuation) {}
