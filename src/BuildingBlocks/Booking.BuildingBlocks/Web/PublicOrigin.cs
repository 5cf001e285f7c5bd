using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Booking.BuildingBlocks.Web;

/// <summary>
/// The one origin (scheme, host, port) that every address we hand out points to: links in emails, the reset link,
/// the portal URL shown to staff. Never the request's Host header: a request sent with <c>Host: evil.example</c>
/// would otherwise put a client's reset token into a link to that host (reset poisoning).
/// Configured as <c>PublicBaseUrl</c> (or the older <c>Notifications:PublicBaseUrl</c>); required outside
/// Development. In Development, unset, it is the address Kestrel listens on (e.g. http://localhost:5080).
/// </summary>
public sealed class PublicOrigin(IConfiguration configuration, IServiceProvider services)
{
    public const string Key = "PublicBaseUrl";
    public const string OlderKey = "Notifications:PublicBaseUrl";

    private readonly string? configured = Configured(configuration);
    private string? listening;

    /// <summary>e.g. "https://book.example.com" (no trailing slash).</summary>
    public string Value => configured ?? listening ?? Listening() ?? "http://localhost";

    /// <summary>The configured origin, normalised; null when none is set. Throws when the value is not an http(s) origin.</summary>
    public static string? Configured(IConfiguration configuration)
    {
        var raw = configuration[Key] ?? configuration[OlderKey];
        if (string.IsNullOrWhiteSpace(raw))
        {
            return null;
        }

        if (!Uri.TryCreate(raw.Trim(), UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")
            || uri.PathAndQuery != "/" || !string.IsNullOrEmpty(uri.Fragment) || !string.IsNullOrEmpty(uri.UserInfo))
        {
            throw new InvalidOperationException(
                $"{Key} must be an http(s) origin such as https://book.example.com (no path, query or user), not '{raw}'.");
        }

        return uri.GetLeftPart(UriPartial.Authority);
    }

    /// <summary>Outside Development an instance without a public origin does not start: every email link depends on it.</summary>
    public static void RequireOutsideDevelopment(IConfiguration configuration, IHostEnvironment environment)
    {
        if (Configured(configuration) is null && !environment.IsDevelopment())
        {
            throw new InvalidOperationException(
                $"Set {Key} to the public origin clients reach the app at (e.g. https://book.example.com): links in emails and the portal URL are built from it.");
        }
    }

    private string? Listening()
    {
        var addresses = services.GetService<IServer>()?.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var first = addresses.Select(a => Uri.TryCreate(a.Replace("://+", "://localhost").Replace("://*", "://localhost"), UriKind.Absolute, out var u) ? u : null)
            .Where(u => u is not null && u.Port != 0)
            .OrderBy(u => u!.Scheme == "https" ? 1 : 0)
            .FirstOrDefault();
        if (first is null)
        {
            // Not listening yet (or an in-memory test server): nothing to learn, and nothing remembered.
            return null;
        }

        var host = first.Host is "0.0.0.0" or "[::]" or "::" ? "localhost" : first.Host;
        return listening = new UriBuilder(first.Scheme, host, first.Port).Uri.GetLeftPart(UriPartial.Authority);
    }
}
