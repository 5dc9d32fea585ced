/**
 * The console's pages. To add one (issue 9 phase 2):
 * <ol>
 *   <li>a template {@code src/main/resources/templates/console/<name>.html} that includes
 *   {@code ~{console/layout :: head('Title')}} and {@code ~{console/layout :: header}}, puts
 *   {@code th:attr="hx-headers=${csrfHeaders}"} on its {@code <body>} (every htmx request then sends the CSRF header)
 *   and {@code <input th:replace="~{console/layout :: csrf}">} in every POST form (forms work without JavaScript;
 *   htmx only makes them live). Templates are read into memory at start-up ({@link ConsoleTemplates}).</li>
 *   <li>a {@code @Controller} in this package with {@code @GetMapping("/admin/<name>")} returning
 *   {@code "console/<name>"} (or a {@code Mono<Rendering>}), adding {@code model.addAttribute("page",
 *   NavItem.X)}; take {@code Authentication auth} as a parameter and {@code ConsoleUser.of(auth)} for the username,
 *   role and {@code actor()} to hand to the operator services. {@link ConsoleModel} already gives every page
 *   {@code me}, {@code nav}, {@code _csrf} and {@code csrfHeaders}.</li>
 *   <li>set the page's {@link NavItem} live. The security chain already applies: GET needs VIEWER, any other method
 *   OPERATOR, {@code /admin/accounts/**} ADMIN ({@code security.ConsoleSecurity}); a state change confirms on a GET
 *   page whose form POSTs, as {@link AccountsController} does.</li>
 * </ol>
 * Form data binds to a {@code @ModelAttribute} record (WebFlux's {@code @RequestParam} reads only the query).
 */
package org.ocpihub.console.web;
