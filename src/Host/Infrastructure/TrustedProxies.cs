using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace Booking.Host.Infrastructure;

/// <summary>
/// Behind a reverse proxy or load balancer every request comes from the proxy's address, so the per-IP code limit
/// would be one limit for everybody (and a TLS-terminating proxy makes every request look like plain HTTP). The
/// addresses named in <c>ForwardedHeaders:KnownProxies</c> (IPs) and <c>ForwardedHeaders:KnownNetworks</c> (CIDR)
/// are trusted to say who the client is (<c>X-Forwarded-For</c>, the entry the nearest proxy added) and which scheme
/// it used (<c>X-Forwarded-Proto</c>); from anyone else the headers are ignored, so a client reaching the app
/// directly cannot pick its own address. Nothing configured: no forwarded header is read (decision 62).
/// </summary>
public static class TrustedProxies
{
    public const string Section = "ForwardedHeaders";

    /// <summary>Configures the trusted proxies; false when none are named (then the middleware is not used).</summary>
    public static bool AddTrustedProxies(this IServiceCollection services, IConfiguration configuration)
    {
        var proxies = Values(configuration.GetSection($"{Section}:KnownProxies"))
            .Select(p => IPAddress.TryParse(p, out var ip) ? ip : throw Invalid("KnownProxies", p, "an IP address")).ToList();
        var networks = Values(configuration.GetSection($"{Section}:KnownNetworks"))
            .Select(n => System.Net.IPNetwork.TryParse(n, out var network) ? network : throw Invalid("KnownNetworks", n, "a network in CIDR form, e.g. 10.0.0.0/8")).ToList();
        if (proxies.Count == 0 && networks.Count == 0)
        {
            return false;
        }

        services.Configure<ForwardedHeadersOptions>(options =>
        {
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            options.KnownProxies.Clear();
            options.KnownIPNetworks.Clear();
            proxies.ForEach(options.KnownProxies.Add);
            networks.ForEach(options.KnownIPNetworks.Add);
        });
        return true;
    }

    /// <summary>A list (<c>KnownProxies:0</c>, <c>:1</c>, …) or one value separated by commas or spaces.</summary>
    private static IEnumerable<string> Values(IConfigurationSection section) =>
        new[] { section.Value ?? "" }.Concat(section.GetChildren().Select(c => c.Value ?? ""))
            .SelectMany(v => v.Split([',', ';', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    private static InvalidOperationException Invalid(string key, string value, string expected) =>
        new($"{Section}:{key}: \"{value}\" is not {expected}.");
}
