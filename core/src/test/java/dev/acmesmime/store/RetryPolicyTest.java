package dev.acmesmime.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;

/** Unit tests for {@link RetryPolicy}. */
class RetryPolicyTest {

    @Test
    void shouldDoubleTheDelayUpToTheMaximum() {
        RetryPolicy p = RetryPolicy.DEFAULT;

        assertThat(p.delayAfter(1)).isEqualTo(Duration.ofMinutes(1));
        assertThat(p.delayAfter(2)).isEqualTo(Duration.ofMinutes(2));
        assertThat(p.delayAfter(6)).isEqualTo(Duration.ofMinutes(32));
        assertThat(p.delayAfter(7)).isEqualTo(Duration.ofHours(1));
        assertThat(p.delayAfter(1000)).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void shouldRejectAnInconsistentPolicy() {
        assertThatThrownBy(() -> new RetryPolicy(Duration.ofHours(2), Duration.ofHours(1), 3, Duration.ofMinutes(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RetryPolicy(Duration.ofMinutes(1), Duration.ofHours(1), 0, Duration.ofMinutes(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RetryPolicy(Duration.ofMinutes(1), Duration.ofHours(1), 3, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
