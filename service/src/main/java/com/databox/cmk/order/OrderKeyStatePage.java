package com.databox.cmk.order;

import java.util.List;

/**
 * One page of the orders' key states; {@code continuation} is null on the last page. {@code unreadable}: the
 * page's orders whose stored rows cannot be read again (damaged), left out of {@code orders}.
 */
public record OrderKeyStatePage(List<OrderKeyState> orders, List<UnreadableOrder> unreadable, String continuation) {
    public OrderKeyStatePage(List<OrderKeyState> orders, String continuation) {
        this(orders, List.of(), continuation);
    }
}
