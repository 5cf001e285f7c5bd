using Microsoft.Net.Http.Headers;

namespace Booking.Host.Web;

/// <summary>
/// Headers every answer carries, set as the response starts (error pages and problem answers included):
/// <list type="bullet">
/// <item><c>Referrer-Policy: same-origin</c>: reset-password links and other pages carry tokens in their query string,
/// and a cross-origin link or image from such a page must not learn that address. <c>same-origin</c> sends no referrer
/// at all to another origin (<c>strict-origin-when-cross-origin</c> would still name our origin).</item>
/// <item><c>Cache-Control: no-store</c> on the API (<c>/api</c>), the portal and staff pages (<c>/ol</c>, <c>/staff</c>)
/// and the development sinks (<c>/dev</c>), unless the endpoint chose its own caching (the logo's public, versioned
/// caching, decision 36): these answers carry personal data, and no shared or browser cache should keep them.</item>
/// <item><c>X-Frame-Options: DENY</c> and <c>Content-Security-Policy: frame-ancestors 'none'</c>: no page of ours is
/// meant to be shown inside another site's frame (a framed "Cancel" or "Confirm booking" button is clickjacking). The
/// antiforgery system's own <c>SAMEORIGIN</c> came only with a new antiforgery cookie, so a second visit had none.</item>
/// <item><c>X-Content-Type-Options: nosniff</c>: a browser takes each answer as the type it says it is.</item>
/// </list>
/// Static files (<c>/css</c>, <c>/js</c>) keep the static-file middleware's own caching. HSTS is <c>UseHsts</c>, outside
/// Development.
/// </summary>
public sealed class SecurityHeadersMiddleware(RequestDelegate next)
{
    public const string ReferrerPolicy = "same-origin";

    public const string FrameAncestors = "frame-ancestors 'none'";

    private static readonly PathString[] NotStored = ["/api", "/ol", "/staff", "/dev"];

    public Task InvokeAsync(HttpContext context)
    {
        context.Response.OnStarting(static state =>
        {
            var http = (HttpContext)state;
            var headers = http.Response.Headers;
            headers["Referrer-Policy"] = ReferrerPolicy;
            headers.XFrameOptions = "DENY";
            headers.XContentTypeOptions = "nosniff";
            if (string.IsNullOrEmpty(headers.ContentSecurityPolicy))
            {
                headers.ContentSecurityPolicy = FrameAncestors;
            }
            if (string.IsNullOrEmpty(headers.CacheControl) && NotStored.Any(p => http.Request.Path.StartsWithSegments(p)))
            {
                headers.CacheControl = "no-store";
            }

            return Task.CompletedTask;
        }, context);
        return next(context);
    }
}
