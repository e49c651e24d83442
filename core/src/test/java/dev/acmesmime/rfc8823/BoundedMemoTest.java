package dev.acmesmime.rfc8823;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BoundedMemoTest {

    @Test
    void remembersUpToItsCapacity_thenStartsAfresh() {
        BoundedMemo<String, Integer> memo = new BoundedMemo<>(2);
        memo.put("a", 1);
        memo.put("b", 2);
        assertThat(memo.get("a")).isEqualTo(1);
        assertThat(memo.get("b")).isEqualTo(2);

        memo.put("c", 3);

        assertThat(memo.get("a")).isNull();
        assertThat(memo.get("b")).isNull();
        assertThat(memo.get("c")).isEqualTo(3);
    }

    @Test
    void refusesNullsAndANonPositiveCapacity() {
        BoundedMemo<String, Integer> memo = new BoundedMemo<>(1);
        assertThatThrownBy(() -> memo.put(null, 1)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> memo.put("a", null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new BoundedMemo<String, Integer>(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
