using Booking.BuildingBlocks.Tenancy;
using Booking.BuildingBlocks.Web;
using Booking.Host.Pages.Ol;
using Booking.Host.Pages.Staff;
using Booking.Tenancy.Contracts;
using Mediator;
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
        if (path.StartsWithSegments("/staff") && StaffPageModel.WorkedAsStaff(http))
        {
            // The form's token belonged to a session this browser no longer has (signed out here or in another tab,
            // removed, expired, or signed in to another business since): the sign-in page says so.
            return StaffPageModel.SignInRedirect(http, http.Request.Query["name"].ToString(), ended: true);
        }

        if (path.StartsWithSegments("/ol") && HasCookie(http, AuthSchemes.Portal)
            && await PortalSignInAsync(http) is { } signIn)
        {
            return new RedirectResult(signIn);
        }

        http.Items[QueryWithoutNulMiddleware.PageDetailKey] = Message;
        if (ApiErrorsOnly.IsPage(path))
        {
            http.Items[AgainKey] = path.Value + http.Request.QueryString;
        }

        return null; // the bare 400 stays; the status code pages show it as the error page
    }

    /// <summary>The portal's sign-in page for the business ?name= names, coming back to the page; null for no such business.</summary>
    private static async Task<string?> PortalSignInAsync(HttpContext http)
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

        var settings = await services.GetRequiredService<ISender>().Send(new GetPortalSettings(), http.RequestAborted);
        var page = settings.SignInMethods.Email || !settings.SignInMethods.Phone ? "/ol/sign-in" : "/ol/phone";
        var back = PortalReturnUrl.Accept(http.Request.Path.Value + http.Request.QueryString, found.Tenant.Slug);
        return PortalLinks.Url(page, found.Tenant.Slug, ("expired", "1"), ("returnUrl", back));
    }

    /// <summary>Whether the request carries the scheme's session cookie, read as the scheme reads it (the portal's is one per business).</summary>
    private static bool HasCookie(HttpContext http, string scheme)
    {
        var options = http.RequestServices.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>().Get(scheme);
        return !string.IsNullOrEmpty(options.CookieManager.GetRequestCookie(http, options.Cookie.Name!));
    }
}
