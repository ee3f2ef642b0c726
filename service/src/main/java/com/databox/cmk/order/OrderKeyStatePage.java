package com.databox.cmk.order;

import java.util.List;

/** One page of the orders' key states; {@code continuation} is null on the last page. */
public record OrderKeyStatePage(List<OrderKeyState> orders, String continuation) {}
