using System.Net;
using Microsoft.AspNetCore.Http;

namespace Booking.BuildingBlocks.Web;

/// <summary>
/// Development-only routes (<c>/dev/*</c>: the mail and SMS sinks) and the jobs dashboard answer only requests from this
/// machine. A request is local when its remote address is a loopback address; a request with no remote address is not
/// (a server or proxy that does not say where a request came from cannot vouch for it). The in-process test server
/// gives none: the tests say explicitly that their requests come from loopback.
/// </summary>
public static class LocalRequests
{
    /// <summary>The path prefix of every development-only route.</summary>
    public static readonly PathString DevelopmentRoutes = "/dev";

    public static bool IsFromLoopback(this HttpContext http) =>
        http.Connection.RemoteIpAddress is { } remote
        && IPAddress.IsLoopback(remote.IsIPv4MappedToIPv6 ? remote.MapToIPv4() : remote);
}

/// <summary>
/// Answers a development-only route (<c>/dev/*</c>) from anywhere but this machine as though it did not exist (404), in
/// every environment, whatever maps it: the sinks list every business's mail and texts, sign-in codes and reset links
/// included.
/// </summary>
public sealed class LocalDevelopmentRoutesMiddleware(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        if (context.Request.Path.StartsWithSegments(LocalRequests.DevelopmentRoutes) && !context.IsFromLoopback())
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        }

        return next(context);
    }
}
