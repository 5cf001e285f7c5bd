using System.ComponentModel.DataAnnotations;
using Booking.BuildingBlocks.Security;
using Booking.BuildingBlocks.Tenancy;
using Booking.BuildingBlocks.Web;
using Booking.Host.Web;
using Booking.Tenancy.Features.StaffSignIn;
using Mediator;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Booking.Host.Pages.Staff;

/// <summary>
/// /staff/sign-in?name=&lt;business&gt;: the staff sign-in page (the same StaffSignIn command, limits and answers as
/// the API). Without ?name= it asks for the business's name first.
/// </summary>
public sealed class SignInModel(TenantResolver resolver, ITenantContext tenantContext, ISender sender) : StaffEntryPageModel(resolver, tenantContext, sender)
{
    [BindProperty]
    public SignInInput Input { get; set; } = new();

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    /// <summary>
    /// The staff session this browser already has (its business and the person), when it has one: signing in here ends
    /// it, and the form says so when it is another business's (one staff session per browser).
    /// </summary>
    public (TenantInfo Business, string StaffName)? Current { get; private set; }

    /// <summary>The session already here is of another business than the one this form signs in to.</summary>
    public bool SignedInElsewhere => Current is { } current && Business is { } business && current.Business.Id != business.Id;

    public async Task<IActionResult> OnGetAsync([FromServices] ITenantDirectory directory, CancellationToken ct)
    {
        await ResolveAsync(ct);
        var auth = await HttpContext.AuthenticateAsync(AuthSchemes.Staff);
        if (auth.Succeeded && Guid.TryParse(auth.Principal.FindFirst(BookingClaims.Tenant)?.Value, out var tenantId)
            && await directory.FindByIdAsync(tenantId, ct) is { Active: true } current)
        {
            Current = (current, auth.Principal.FindFirst(BookingClaims.Name)?.Value ?? "");
        }

        return Page();
    }

    public async Task<IActionResult> OnPostAsync([FromServices] TrustedDevices devices, CancellationToken ct)
    {
        if (!await ResolveAsync(ct))
        {
            return Page();
        }

        try
        {
            var staff = await Sender.Send(new Booking.Tenancy.Features.StaffSignIn.StaffSignIn(Input.Email, Input.Password) { DeviceToken = devices.Presented(HttpContext, DeviceArea.Staff), Ip = HttpContext.ClientIp() }, ct);
            await StaffSessions.SignInAsync(HttpContext, Business!.Id, staff.Id, staff.Name, staff.Role, staff.SecurityStamp);
            devices.Keep(HttpContext, DeviceArea.Staff, staff.DeviceToken);
            var fallback = staff.Role == StaffRoles.Practitioner ? "/staff/diary" : "/staff";
            return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : fallback);
        }
        catch (Exception ex) when (ModelState.TryAdd(ex))
        {
            Input.Password = null;
            return Page();
        }
    }

    public sealed class SignInInput
    {
        [Display(Name = "Email")]
        public string? Email { get; set; }

        [Display(Name = "Password")]
        public string? Password { get; set; }
    }
}
