using Booking.BuildingBlocks.Problems;
using Microsoft.AspNetCore.Diagnostics;

namespace Booking.Host.Web;

/// <summary>
/// Problem details for errors everywhere but the pages: an error under /ol or /staff is left to the exception
/// handler's path, which re-executes the request as the HTML error page (Pages/Errors/Error.cshtml).
/// </summary>
public sealed class ApiErrorsOnly(ProblemExceptionHandler problems) : IExceptionHandler
{
    public static bool IsPage(PathString path) => path.StartsWithSegments("/ol") || path.StartsWithSegments("/staff");

    private static bool IsPage(string? path) => IsPage(new PathString(path));

    /// <remarks>The middleware has already set the path to the error page's: the request's own is on the feature.</remarks>
    public ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken) =>
        // A problem a page let through (validation, not found…) keeps its status and problem details as before; only
        // errors nobody expected become the HTML error page.
        IsPage(httpContext.Features.Get<IExceptionHandlerPathFeature>()?.Path ?? httpContext.Request.Path.Value)
            && exception is not (ProblemException or FluentValidation.ValidationException)
            ? ValueTask.FromResult(false)
            : problems.TryHandleAsync(httpContext, exception, cancellationToken);
}
