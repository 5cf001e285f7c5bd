using System.Collections.Frozen;

namespace Booking.Tenancy.Domain;

/// <summary>Slugs no business may take: our own routes, operations words and names that invite impersonation.</summary>
public static class ReservedSlugs
{
    public static readonly FrozenSet<string> All = new[]
    {
        "admin", "administrator", "api", "app", "apps", "www", "web", "mail", "email", "smtp", "ftp",
        "help", "support", "status", "docs", "doc", "blog", "static", "assets", "cdn", "media", "files",
        "login", "logout", "signin", "sign-in", "signup", "sign-up", "register", "account", "accounts",
        "auth", "oauth", "sso", "dev", "staging", "test", "tests", "health", "hangfire", "scalar", "openapi",
        "swagger", "ol", "book", "booking", "bookings", "portal", "staff", "setup", "billing", "root", "system",
        "security", "settings", "dashboard", "null", "undefined", "owner", "about", "terms", "privacy",
    }.ToFrozenSet(StringComparer.Ordinal);
}
