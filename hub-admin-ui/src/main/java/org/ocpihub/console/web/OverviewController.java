package org.ocpihub.console.web;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.ocpihub.ocpi.party.ConnectionStatus;
import org.ocpihub.registry.platform.PlatformRegistry;
import org.ocpihub.registry.platform.RegistrySnapshot;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * The overview at {@code /admin} (issue 9 item 2): for now the member platforms by status, from the registry as
 * routing sees it (this instance's in-memory snapshot, no database call).
 */
@Controller
public class OverviewController {

    private final PlatformRegistry registry;

    public OverviewController(PlatformRegistry registry) {
        this.registry = registry;
    }

    @GetMapping("/admin")
    public String overview(Model model) {
        Map<ConnectionStatus, Long> byStatus = new LinkedHashMap<>(); // in the order of a platform's life
        for (ConnectionStatus s : List.of(ConnectionStatus.PLANNED, ConnectionStatus.CONNECTED,
                ConnectionStatus.OFFLINE, ConnectionStatus.SUSPENDED)) {
            byStatus.put(s, 0L);
        }
        int total = 0;
        for (RegistrySnapshot.Entry e : registry.snapshot().platforms()) {
            byStatus.merge(e.platform().status(), 1L, Long::sum);
            total++;
        }
        model.addAttribute("page", NavItem.OVERVIEW);
        model.addAttribute("byStatus", byStatus);
        model.addAttribute("total", total);
        return "console/overview";
    }
}
