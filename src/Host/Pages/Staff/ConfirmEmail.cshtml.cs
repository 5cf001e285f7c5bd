using Booking.BuildingBlocks.Tenancy;
using Booking.BuildingBlocks.Web;
using Booking.Host.Web;
using Booking.Tenancy.Features.StaffEmailConfirmation;
using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;

namespace Booking.Host.Pages.Staff;

/// <summary>
/// The page every staff email link opens (decision 236): /staff/confirm-email?name=&amp;token= (an email change's link)
/// and its alias /staff/verify-email (the link sign-up and "Send the link again" email), one view
/// (<c>_StaffEmailLink</c>) and one command. Opening it changes nothing (mail scanners open links, and a scanner at a
/// mistyped address is not its owner's proof); it says what the link would do, and only the post
/// (<see cref="ConfirmStaffEmail"/>, as <c>POST /api/v1/staff/auth/confirm-email</c>) does it. No sign-in needed: the
/// link is the proof. The business from <c>?name=</c>, as the other entry pages.
/// </summary>
public abstract class StaffEmailLinkPageModel(TenantResolver resolver, ITenantContext tenantContext, ISender sender)
    : StaffEntryPageModel(resolver, tenantContext, sender)
{
    [BindProperty(SupportsGet = true)]
    public string? Token { get; set; }

    /// <summary>What the link would do (on GET), or why it does nothing.</summary>
    public StaffEmailLinkState? Link { get; private set; }

    /// <summary>After the post: what it did.</summary>
    public StaffEmailConfirmed? Confirmed { get; private set; }

    /// <summary>
    /// The role of the staff member signed in to this business in this browser, if any (s42 review #12): an owner who
    /// confirms their address right after signing up is already signed in, so the page offers Setup (a practitioner
    /// their diary) instead of "Sign in". Null without a staff session of this business.
    /// </summary>
    public string? SignedInRole { get; private set; }

    /// <summary>Where the page sends someone already signed in: Setup for owners and admins, the diary for a practitioner.</summary>
    public (string Href, string Text) SignedInNext => SignedInRole == StaffRoles.Practitioner
        ? ("/staff/diary", "Go to your diary")
        : ("/staff/setup/portal", "Go to Setup");

    /// <summary>This page's own path: the form posts back to it.</summary>
    protected abstract string Path { get; }

    public string FormAction => $"{StaffUrl(Path)}&token={Uri.EscapeDataString(Token ?? "")}";

    public async Task OnGetAsync(CancellationToken ct)
    {
        if (await ResolveAsync(ct) && !string.IsNullOrEmpty(Token))
        {
            Link = await Sender.Send(new CheckStaffEmailLink(Token), ct);
        }

        await ReadSessionAsync();
    }

    private async Task ReadSessionAsync()
    {
        if (Business is not { } business)
        {
            return;
        }

        var auth = await HttpContext.AuthenticateAsync(AuthSchemes.Staff);
        if (auth.Succeeded && Guid.TryParse(auth.Principal.FindFirst(BookingClaims.Tenant)?.Value, out var tenantId) && tenantId == business.Id)
        {
            SignedInRole = auth.Principal.FindFirst(BookingClaims.Role)?.Value;
        }
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!await ResolveAsync(ct) || string.IsNullOrEmpty(Token))
        {
            return Page();
        }

        try
        {
            Confirmed = await Sender.Send(new ConfirmStaffEmail(Token), ct);
        }
        catch (ValidationException ex) when (ex.Errors.All(e => e.PropertyName == "token"))
        {
            // Expired, called off or used a moment ago elsewhere: the page says which, as on opening it.
            Link = await Sender.Send(new CheckStaffEmailLink(Token), ct);
            if (Link.Use is not (StaffEmailLinkUse.Dead or StaffEmailLinkUse.CalledOff))
            {
                Link = new StaffEmailLinkState(StaffEmailLinkUse.Dead, null, null);
            }
        }
        catch (Exception ex) when (ModelState.TryAdd(ex, _ => string.Empty))
        {
        }

        await ReadSessionAsync();
        return Page();
    }
}

public sealed class ConfirmEmailModel(TenantResolver resolver, ITenantContext tenantContext, ISender sender)
    : StaffEmailLinkPageModel(resolver, tenantContext, sender)
{
    protected override string Path => "/staff/confirm-email";
}
