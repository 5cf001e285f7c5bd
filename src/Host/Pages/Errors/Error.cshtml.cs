using Booking.BuildingBlocks.Tenancy;
using Booking.BuildingBlocks.Web;
using Booking.Host.Pages.Ol;
using Booking.Tenancy.Contracts;
using Mediator;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.WebUtilities;

namespace Booking.Host.Pages.Errors;

/// <summary>
/// The HTML error page of the portal and staff pages (the API keeps its problem details): an unhandled error
/// (re-executed here by the exception handler) or a status without a body, such as a 404 (by the status code pages).
/// Shown in the portal's look, with a way back to the business, or in the staff layout with a way to the diary.
/// </summary>
/// <remarks>
/// No antiforgery check of its own: a page post refused before its handler (its antiforgery token missing or stale, a
/// form too large to read) is re-executed here as a POST, and checking the token again refused it a second time with
/// an empty 400, a blank page (decision 260); an expired form's page comes from <see cref="Booking.Host.Web.ExpiredForms"/>.
/// The page changes nothing.
/// </remarks>
[Microsoft.AspNetCore.Mvc.IgnoreAntiforgeryToken]
public sealed class ErrorModel(ILogger<ErrorModel> logger) : PageModel
{
    public int Status { get; private set; }

    /// <summary>The path the visitor asked for (before re-execution).</summary>
    public string OriginalPath { get; private set; } = "";

    public bool Portal => new PathString(OriginalPath).StartsWithSegments("/ol");

    public PortalChrome? Chrome { get; private set; }

    public string Title => Status switch
    {
        404 => "Page not found",
        >= 500 => "Something went wrong",
        _ => "That did not work",
    };

    public string Message => HttpContext.Items[QueryWithoutNulMiddleware.PageDetailKey] as string ?? Status switch
    {
        404 => "We could not find that page. The link may be out of date.",
        400 or 413 when HttpMethods.IsPost(Request.Method) => FormNotRead,
        >= 500 => "Sorry, something went wrong on our side. It has been logged; please try again in a moment.",
        _ => "The request could not be completed.",
    };

    /// <summary>A page's form refused before it was read: a stale page (its antiforgery token) or far more text than any box takes.</summary>
    public const string FormNotRead =
        "The form could not be read, so nothing was saved. The page may have been open a long time, or a box held far more text than it takes. Go back, reload the page and try again.";

    /// <summary>The business ?name= named, when it names one.</summary>
    public string? BusinessSlug { get; private set; }

    public string? BusinessName { get; private set; }

    /// <summary>The way back: the business's portal, or the staff diary.</summary>
    public string BackUrl => Portal ? BusinessSlug is null ? "/" : PortalLinks.Url("/ol/book", BusinessSlug) : "/staff";

    /// <summary>A form that had expired: its page again (a local path of the failed request), above the way back.</summary>
    public string? AgainUrl => HttpContext.Items[Booking.Host.Web.ExpiredForms.AgainKey] as string;

    public string BackText => Portal ? BusinessName is null ? "Back to the start" : $"Back to {BusinessName}" : "Back to the diary";

    public Task OnGetAsync() => ShowAsync();

    public Task OnPostAsync() => ShowAsync();

    /// <remarks>
    /// The status is read from the route, not bound: binding reads a posted form too, and a form too large to read
    /// failed the binding, so the page said 500 and "Failed to read the request form" in its error summary.
    /// </remarks>
    private async Task ShowAsync()
    {
        ModelState.Clear();
        int? status = int.TryParse(RouteData.Values["status"]?.ToString(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var code) ? code : null;
        var reExecuted = HttpContext.Features.Get<IStatusCodeReExecuteFeature>();
        var failed = HttpContext.Features.Get<IExceptionHandlerPathFeature>();
        OriginalPath = reExecuted?.OriginalPath ?? failed?.Path ?? Request.Path.Value ?? "";
        // Only errors nobody expected come here (ApiErrorsOnly keeps problem details for the rest): a 500.
        Status = failed is null && status is >= 400 and <= 599 ? status.Value : 500;
        Response.StatusCode = Status;

        if (Portal)
        {
            var query = reExecuted is not null ? QueryHelpers.ParseQuery(reExecuted.OriginalQueryString) : null;
            Chrome = await ChromeAsync(query is null ? Request.Query : new QueryCollection(query));
            ViewData[PortalChrome.Key] = Chrome;
        }
    }

    /// <summary>The business's look when ?name= names one; none when it does not, or when reading it fails too.</summary>
    private async Task<PortalChrome?> ChromeAsync(IQueryCollection query)
    {
        var services = HttpContext.RequestServices;
        TenantInfo business;
        try
        {
            if (await services.GetRequiredService<TenantResolver>().FromQueryAsync(query, HttpContext.RequestAborted) is not TenantLookup.Found found)
            {
                return null;
            }

            business = found.Tenant;
            BusinessSlug = business.Slug;
            BusinessName = business.Name;
            var tenant = services.GetRequiredService<ITenantContext>();
            if (tenant.Current is null)
            {
                tenant.Set(business);
            }

            var settings = await services.GetRequiredService<ISender>().Send(new GetPortalSettings(), HttpContext.RequestAborted);
            return PortalChrome.For(business, settings, signedIn: false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The error may be the very thing that fails here (the database, say): the page still shows, plainly.
            logger.LogWarning(ex, "The error page could not read the business's look");
            return null;
        }
    }
}
