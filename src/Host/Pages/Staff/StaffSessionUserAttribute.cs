using Booking.BuildingBlocks.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc.Filters;

namespace Booking.Host.Pages.Staff;

/// <summary>
/// Puts the staff session's user on the request before antiforgery validation runs. Without it, a form rendered
/// for the signed-in user (its token bound to that identity) is checked against an anonymous user on post and
/// refused with 400. Authorization filters run before the antiforgery filter; this one runs first of all.
/// StaffPageModel still decides tenant and role.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = true)]
public sealed class StaffSessionUserAttribute : Attribute, IAsyncAuthorizationFilter, IOrderedFilter
{
    public int Order => -1000;

    public async Task OnAuthorizationAsync(AuthorizationFilterContext context)
    {
        var auth = await context.HttpContext.AuthenticateAsync(AuthSchemes.Staff);
        if (auth.Succeeded)
        {
            context.HttpContext.User = auth.Principal;
        }
    }
}
