package dev.acmesmime.rfc8823;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** X12: the response body's line splitter gives exactly what the CRLF/LF/CR regex split gives. */
class ResponseBodyLinesTest {

    @ParameterizedTest
    @ValueSource(strings = {"", "a", "a\r\nb", "a\nb\rc\r\n", "\r\n\r\n", "\r\r\n\n", "a\r", "\n", "x\r\n\ry\n\rz"})
    void x12_linesEndInCrlfLfOrCr(String text) {
        assertThat(ResponseBody.lines(text)).isEqualTo(List.of(text.split("\r\n|\n|\r", -1)));
    }
}
