import type { NotificationRoutes } from "../http/notification-routes.js";
import type { AppServices } from "./services.js";

/** Hook each module's job handlers and WeChat Pay notification handlers into the running server. */
export function registerModules(_services: AppServices, _notificationRoutes: NotificationRoutes): void {
  // Modules add their registrations here.
}
