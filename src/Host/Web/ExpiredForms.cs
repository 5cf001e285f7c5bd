using Booking.BuildingBlocks.Tenancy;
using Booking.BuildingBlocks.Web;
using Booking.Host.Pages.Ol;
using Booking.Host.Pages.Staff;
using Booking.Tenancy.Contracts;
using Mediator;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Core.Infrastructure;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.ViewFeatures;
using Microsoft.Extensions.Options;

namespace Booking.Host.Web;

/// <summary>
/// What a page post whose antiforgery token does not match answers, for every page at once (decision 263). The
/// framework's answer is a bare 400 with no body, and the status code pages re-executed it as a post the error page
/// refused too: a white page. A staff token is bound to the staff member (<see cref="StaffSessionUserAttribute"/>), so a
/// form sent after the session ended (removed from the team, signed out in another tab, signed in to another business,
/// expired) fails here. Now:
/// <list type="bullet">
/// <item>a staff or portal page posted by a browser whose session is still good (the staff session, or this business's
/// client session: the token was missing, forged, or from a form another session rendered) → back to the same page,
/// opened again by a GET (its <c>handler</c> left out) with <c>formExpired=1</c>, where the layout says
/// <see cref="NotSaved"/> (decision 320): nothing about a session ending, because none did;</item>
/// <item>a staff page posted by a browser that has worked as staff (a staff session cookie, or the business it last
/// worked in, kept after signing out) → the sign-in page with "You were signed
/// out…" (<c>ended=1</c>) and the page as the return address, as a plain GET without a session does;</item>
/// <item>a portal page of a business (<c>?name=</c>) posted by a browser that carries a client session cookie → that
/// portal's sign-in page (email or mobile, whichever it offers) saying nothing was sent (<c>expired=1</c>);</item>
/// <item>anything else (no session involved: a forged post, or a form whose antiforgery cookie is gone) → the HTML error
/// page with a 400, saying the form had expired and linking to the page again.</item>
/// </list>
/// Nothing is saved in any case: the page's handler never runs.
/// </summary>
public sealed class ExpiredForms : IAsyncAlwaysRunResultFilter
{
    /// <summary>The error page's link back to the page whose form failed (a local path of this request).</summary>
    public const string AgainKey = "booking.expired-form-again";

    public const string Message = "This form had expired, so nothing was sent or saved. Open the page again and try once more.";

    /// <summary>The query flag of a page opened again after its form was refused while the session still held (<see cref="Again"/>).</summary>
    public const string FormExpiredKey = "formExpired";

    /// <summary>What the page says then (<c>#form-not-saved</c>, staff and portal layouts alike).</summary>
    public const string NotSaved = "This form had expired or was sent from elsewhere; nothing was saved. Please try again.";

    /// <summary>Whether this request is a page opened again by <see cref="Again"/>: a GET with the flag (a failed post re-shown says nothing).</summary>
    public static bool CameBack(HttpContext http) =>
        HttpMethods.IsGet(http.Request.Method) && http.Request.Query[FormExpiredKey] == "1";

    public async Task OnResultExecutionAsync(ResultExecutingContext context, ResultExecutionDelegate next)
    {
        if (context.Result is IAntiforgeryValidationFailedResult)
        {
            context.Result = await AnswerAsync(context.HttpContext) ?? context.Result;
        }

        await next();
    }

    private static async Task<IActionResult?> AnswerAsync(HttpContext http)
    {
        if (http.Features.Get<Microsoft.AspNetCore.Http.Features.IFormFeature>() is { HasFormContentType: true, Form: null })
        {
            // The form itself could not be read (a value past the 4 MB limit), so its token was never seen: not an
            // expired session. The error page says the form could not be read (decision 260).
            return null;
        }

        var path = http.Request.Path;
        if (path.StartsWithSegments("/staff") && await StaffSessionHoldsAsync(http))
        {
            // Signed in still: the session did not end, so the sign-in page would tell a false story (one a phishing
            // lure could use). The page again, saying the form was not taken.
            return new RedirectResult(Again(http));
        }

        if (path.StartsWithSegments("/staff") && StaffPageModel.WorkedAsStaff(http))
        {
            // The form's token belonged to a session this browser no longer has (signed out here or in another tab,
            // removed, expired, or signed in to another business since): the sign-in page says so.
            return StaffPageModel.SignInRedirect(http, http.Request.Query["name"].ToString(), ended: true);
        }

        if (path.StartsWithSegments("/ol") && HasCookie(http, AuthSchemes.Portal)
            && await PortalAnswerAsync(http) is { } portal)
        {
            return new RedirectResult(portal);
        }

        http.Items[QueryWithoutNulMiddleware.PageDetailKey] = Message;
        if (ApiErrorsOnly.IsPage(path))
        {
            http.Items[AgainKey] = path.Value + http.Request.QueryString;
        }

        return null; // the bare 400 stays; the status code pages show it as the error page
    }

    /// <summary>
    /// Whether the request carries a staff session that still signs in (<see cref="StaffSessionUserAttribute"/> read it
    /// for the staff pages; read here for the others under /staff). Which business it is for the page decides when
    /// opened again.
    /// </summary>
    private static async Task<bool> StaffSessionHoldsAsync(HttpContext http)
    {
        var auth = await http.AuthenticateAsync(AuthSchemes.Staff);
        return auth.Succeeded && auth.Principal.FindFirst(BookingClaims.Subject) is not null;
    }

    /// <summary>
    /// The page itself again (<see cref="Again"/>) while the browser's session with the business ?name= names still
    /// holds; else that portal's sign-in page, coming back to the page; null for no such business.
    /// </summary>
    private static async Task<string?> PortalAnswerAsync(HttpContext http)
    {
        var services = http.RequestServices;
        if (await services.GetRequiredService<TenantResolver>().FromQueryAsync(http.Request.Query, http.RequestAborted) is not TenantLookup.Found found)
        {
            return null;
        }

        var tenant = services.GetRequiredService<ITenantContext>();
        if (tenant.Current is null)
        {
            tenant.Set(found.Tenant);
        }

        var auth = await http.AuthenticateAsync(AuthSchemes.Portal);
        if (auth.Succeeded && Guid.TryParse(auth.Principal.FindFirst(BookingClaims.Tenant)?.Value, out var tenantId) && tenantId == found.Tenant.Id)
        {
            return Again(http);
        }

        var settings = await services.GetRequiredService<ISender>().Send(new GetPortalSettings(), http.RequestAborted);
        var page = settings.SignInMethods.Email || !settings.SignInMethods.Phone ? "/ol/sign-in" : "/ol/phone";
        var back = PortalReturnUrl.Accept(http.Request.Path.Value + http.Request.QueryString, found.Tenant.Slug);
        return PortalLinks.Url(page, found.Tenant.Slug, ("expired", "1"), ("returnUrl", back));
    }

    /// <summary>
    /// The page the refused form was posted to, as a GET: its path and query, without <c>handler</c> (a GET of a post
    /// handler's name runs no handler at all) and with <see cref="FormExpiredKey"/>. Always this request's own path
    /// under /staff or /ol, so never another site.
    /// </summary>
    internal static string Again(HttpContext http)
    {
        var query = http.Request.Query
            .Where(q => !q.Key.Equals("handler", StringComparison.OrdinalIgnoreCase) && !q.Key.Equals(FormExpiredKey, StringComparison.OrdinalIgnoreCase))
            .SelectMany(q => q.Value.Select(v => new KeyValuePair<string, string?>(q.Key, v)))
            .Append(new KeyValuePair<string, string?>(FormExpiredKey, "1"));
        return Microsoft.AspNetCore.WebUtilities.QueryHelpers.AddQueryString(http.Request.PathBase.Add(http.Request.Path).ToUriComponent(), query);
    }

    /// <summary>Whether the request carries the scheme's session cookie, read as the scheme reads it (the portal's is one per business).</summary>
    private static bool HasCookie(HttpContext http, string scheme)
    {
        var options = http.RequestServices.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>().Get(scheme);
        return !string.IsNullOrEmpty(options.CookieManager.GetRequestCookie(http, options.Cookie.Name!));
    }
}
