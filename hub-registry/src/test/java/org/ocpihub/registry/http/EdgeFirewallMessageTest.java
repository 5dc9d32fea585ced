package org.ocpihub.registry.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.security.web.server.firewall.ServerExchangeRejectedException;

/**
 * The firewall's refusals in plain words: the path and the part at fault, never Spring Security's wording (issue 7
 * item 1, bad-input tables). The header and parameter refusals never repeat the value (it may be a credential).
 */
class EdgeFirewallMessageTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '~', textBlock = """
            The request was rejected because the URL contained a potentially malicious String ";"   | the request path /p is ambiguous and was refused: it contains ';' (a path parameter)
            The request was rejected because the URL contained a potentially malicious String "%2F" | the request path /p is ambiguous and was refused: it contains an encoded '/' (%2F)
            The request was rejected because the URL contained a potentially malicious String "%2e" | the request path /p is ambiguous and was refused: it contains an encoded '.' (%2e)
            The request was rejected because the URL contained a potentially malicious String "//"  | the request path /p is ambiguous and was refused: it contains an empty segment ('//')
            The request was rejected because the URL contained a potentially malicious String "%5C" | the request path /p is ambiguous and was refused: it contains an encoded backslash (%5C)
            The request was rejected because the URL contained a potentially malicious String "%25" | the request path /p is ambiguous and was refused: it contains an encoded '%' (%25)
            The request was rejected because the URL was not normalized                              | the request path /p is ambiguous and was refused: it contains a '.' or '..' segment
            The requestURI was rejected because it can only contain printable ASCII characters.      | the request path /p is ambiguous and was refused: it contains a character that is not printable ASCII
            The request was rejected because the header: "Authorization " has a value "Token s3cr3t" that is not allowed. | the request was refused: header Authorization has a name or value the hub does not accept (control or non-printable characters)
            The request was rejected because the parameter name "a" is not allowed.                  | the request was refused: query parameter a has a name or value the hub does not accept (control or non-printable characters)
            The request was rejected because the HTTP method "FOO" was not included within the list of allowed HTTP methods [GET] | the request was refused: its HTTP method is not one the hub accepts
            something new                                                                            | the request path /p is ambiguous and was refused: it contains a spelling that is not canonical
            """)
    void everyRefusalIsPlain(String reason, String expected) {
        String message = EdgeFirewallFilter.message("/p", new ServerExchangeRejectedException(reason));
        assertThat(message).isEqualTo(expected).doesNotContain("s3cr3t", "rejected", "malicious");
    }
}
