package com.databox.cmk.keyvault;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One call's failures (a get and a wrap sent at once) ask the name server about a host once. */
class NameServersUnitTest {
    @Test
    void askingEachHostOnceAsksAHostOnceAndKeepsItsAnswer() {
        List<String> asked = new ArrayList<>();
        NameServers refusing = host -> {
            asked.add(host);
            return true;
        };

        NameServers once = refusing.askingEachHostOnce();

        assertThat(once.failFor("a.vault.azure.net")).isTrue();
        assertThat(once.failFor("a.vault.azure.net")).isTrue();
        assertThat(once.failFor("b.vault.azure.net")).isTrue();
        assertThat(asked).containsExactly("a.vault.azure.net", "b.vault.azure.net");
        assertThat(refusing.askingEachHostOnce().failFor("a.vault.azure.net"))
                .as("another call asks again")
                .isTrue();
        assertThat(asked).hasSize(3);
    }
}
