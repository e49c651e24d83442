package dev.acmesmime.james.enrolment;

import java.time.Instant;

import org.apache.james.server.task.json.dto.AdditionalInformationDTO;

/** {@link EnrolmentTaskDetails} as JSON, with James's {@code type} and {@code timestamp}. */
public record EnrolmentTaskDetailsDto(String type, String action, long done, long failed, long pending,
                                      Instant timestamp) implements AdditionalInformationDTO {

    @Override
    public String getType() {
        return type;
    }

    @Override
    public Instant getTimestamp() {
        return timestamp;
    }
}
