package dev.acmesmime.testca;

/** A setting of the test CA's properties file is missing or wrong; the message names the key. */
public final class TestCaConfigurationException extends RuntimeException {
    public TestCaConfigurationException(String message) {
        super(message);
    }
}
