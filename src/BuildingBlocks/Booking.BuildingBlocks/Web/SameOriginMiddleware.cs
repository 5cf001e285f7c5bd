using Booking.BuildingBlocks.Problems;
using Microsoft.AspNetCore.Http;

namespace Booking.BuildingBlocks.Web;

/// <summary>
/// Cookie-authenticated JSON calls carry no antiforgery token; a state-changing request whose Origin names
/// another site is refused instead (with SameSite=Lax cookies and JSON-only bodies this blocks cross-site posts).
/// </summary>
public sealed class SameOriginMiddleware(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        if (!HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method)
            && !HttpMethods.IsOptions(context.Request.Method)
            && context.Request.Headers.Origin is { Count: > 0 } origin
            && !IsSameOrigin(context.Request, origin.ToString()))
        {
            throw new ProblemException(ProblemKinds.Forbidden, 403, "Cross-site request refused", "The request came from another site.");
        }

        return next(context);
    }

    private static bool IsSameOrigin(HttpRequest request, string origin) =>
        Uri.TryCreate(origin, UriKind.Absolute, out var uri)
        && string.Equals(uri.Scheme, request.Scheme, StringComparison.OrdinalIgnoreCase)
        && string.Equals(uri.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase);
}
