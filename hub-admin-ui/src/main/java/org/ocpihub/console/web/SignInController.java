package org.ocpihub.console.web;

import org.ocpihub.console.ConsoleProperties;
import org.ocpihub.console.security.ConsolePaths;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.server.ServerWebExchange;

/** The sign-in page; the form POSTs to the same path, where Spring Security's form login takes it. */
@Controller
public class SignInController {

    private final ConsoleProperties properties;

    public SignInController(ConsoleProperties properties) {
        this.properties = properties;
    }

    @GetMapping(ConsolePaths.SIGN_IN)
    public String signIn(ServerWebExchange exchange, Model model) {
        var query = exchange.getRequest().getQueryParams();
        if (query.containsKey("locked")) {
            long minutes = Math.max(1, properties.signIn().lockFor().toMinutes());
            model.addAttribute("problem", "Too many failed sign-ins with this username. Sign-in with it is paused "
                    + "for up to " + minutes + " minutes; wait, or ask an administrator to reset the password.");
        } else if (query.containsKey("error")) {
            model.addAttribute("problem", "Wrong username or password. Check both and try again.");
        } else if (query.containsKey("signed-out")) {
            model.addAttribute("notice", "You are signed out.");
        }
        return "console/sign-in";
    }
}
