package org.ocpihub.testkit.party;

import java.time.Duration;
import java.util.Objects;

/**
 * How a Receiver of asynchronous requests (Commands, ChargingProfiles) behaves: the synchronous {@code result} and
 * {@code timeout} it answers with, then whether, when (after the answer was written, plus {@code resultDelay}) and
 * with which {@code result} it POSTs the asynchronous result to the {@code response_url}. A result is only sent after
 * an {@code ACCEPTED} answer.
 *
 * @param response       CommandResponseType or ChargingProfileResponseType, e.g. {@code ACCEPTED}, {@code REJECTED}
 * @param timeoutSeconds the {@code timeout} of the synchronous answer
 * @param result         CommandResultType or ChargingProfileResultType of the asynchronous result
 * @param resultDelay    wait after the synchronous answer before POSTing the result
 * @param sendResult     false to never POST a result (the requester, or a hub, then has to time out)
 */
public record AsyncResultBehaviour(String response, int timeoutSeconds, String result, Duration resultDelay,
                                   boolean sendResult) {

    /** Answers ACCEPTED with a 30 s timeout, then POSTs an ACCEPTED result at once. */
    public static final AsyncResultBehaviour ACCEPTED =
            new AsyncResultBehaviour("ACCEPTED", 30, "ACCEPTED", Duration.ZERO, true);

    public AsyncResultBehaviour {
        Objects.requireNonNull(response, "response");
        Objects.requireNonNull(result, "result");
        Objects.requireNonNull(resultDelay, "resultDelay");
        if (timeoutSeconds < 0 || resultDelay.isNegative()) {
            throw new IllegalArgumentException("negative timeout or delay");
        }
    }

    public AsyncResultBehaviour withResponse(String response) {
        return new AsyncResultBehaviour(response, timeoutSeconds, result, resultDelay, sendResult);
    }

    public AsyncResultBehaviour withTimeout(int timeoutSeconds) {
        return new AsyncResultBehaviour(response, timeoutSeconds, result, resultDelay, sendResult);
    }

    public AsyncResultBehaviour withResult(String result) {
        return new AsyncResultBehaviour(response, timeoutSeconds, result, resultDelay, sendResult);
    }

    public AsyncResultBehaviour withResultDelay(Duration resultDelay) {
        return new AsyncResultBehaviour(response, timeoutSeconds, result, resultDelay, sendResult);
    }

    /** Answers as configured but never POSTs the result. */
    public AsyncResultBehaviour neverSendResult() {
        return new AsyncResultBehaviour(response, timeoutSeconds, result, resultDelay, false);
    }
}
