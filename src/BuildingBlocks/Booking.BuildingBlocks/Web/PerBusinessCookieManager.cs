using Booking.BuildingBlocks.Tenancy;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Booking.BuildingBlocks.Web;

/// <summary>
/// Keeps one cookie per business for a scheme: the scheme's cookie name plus `.` and the business's slug
/// (`booking-portal.&lt;slug&gt;`), so a client signed in at two businesses in one browser holds two sessions and signing
/// in or out at one leaves the other alone. The business is the one resolved for the request, else its `?name=`
/// (the tenant middleware authenticates before it sets the tenant). A request naming no business reads no cookie.
/// A value moved under another business's name still names its own session, whose tenant the tenant checks refuse.
/// </summary>
public sealed class PerBusinessCookieManager : ICookieManager
{
    // Tickets live in PostgreSQL, so the cookie is small; chunking stays as the handler's default had it.
    private readonly ChunkingCookieManager inner = new();

    /// <summary>The cookie name <paramref name="key"/> stands for on this request; null when it names no business.</summary>
    public static string? NameFor(HttpContext context, string key)
    {
        var slug = context.RequestServices.GetService<ITenantContext>()?.Current?.Slug
            ?? (context.Request.Query.TryGetValue("name", out var names) && names.Count == 1 ? Slug.Normalise(names[0]) : null);
        return slug is null ? null : key + "." + slug;
    }

    public string? GetRequestCookie(HttpContext context, string key) =>
        NameFor(context, key) is { } name ? inner.GetRequestCookie(context, name) : null;

    public void AppendResponseCookie(HttpContext context, string key, string? value, CookieOptions options) =>
        inner.AppendResponseCookie(context, NameFor(context, key) ?? throw new InvalidOperationException($"A {key} cookie is kept per business: this request names none."), value, options);

    public void DeleteCookie(HttpContext context, string key, CookieOptions options)
    {
        if (NameFor(context, key) is { } name)
        {
            inner.DeleteCookie(context, name, options);
        }
    }
}
