using Booking.Notifications.Domain;
using MimeKit;

namespace Booking.Notifications.Rendering;

/// <summary>
/// Whom an email's footer speaks to. A client's email (the <c>client-…</c> kinds) ends with the business's own footer: its
/// name, how clients reach it, its portal. An internal email (to a diary's contact, an extra address, an owner or admin,
/// a staff member about their account, an address asked to confirm) ends instead with why its reader got it ("You get
/// this as the contact email of …"), as staff need, and with the unsubscribe link where the kind has one: the business's
/// phone, email and booking page are what its clients need, not its team (decision 259).
/// </summary>
public static class EmailFooter
{
    /// <summary>
    /// Whether the footer lists how to reach the business ("Phone: …", "Email: …", each when given): on a client's email
    /// (or no kind), and on an address's confirmation, which asks someone who may not know the business whether they want
    /// its emails (decision 265): the business's name, phone and email let them tell who it is, or ask it, before they
    /// answer. Never the client's "Questions? Contact …" line, and not the booking page, which is for clients.
    /// </summary>
    public static bool ListsBusinessContact(string? kind) =>
        kind is null || MessageKinds.ToClient(kind) || MessageKinds.AddressConfirmations.Contains(kind);

    /// <summary>
    /// Where a client's reply goes (Reply-To): the business's contact email, named as the business, on a client's email
    /// (the <c>client-…</c> kinds) when it gave one that reads as an address. Null otherwise: the email comes From the
    /// deployment's no-reply sender, which nobody reads. Never a staff member's own address: only the owner's choice of
    /// contact email (Setup) is used (decision 348).
    /// </summary>
    public static MailboxAddress? ReplyTo(string? kind, BusinessLook business)
    {
        if (kind is null || !MessageKinds.ToClient(kind) || business.Email is not { Length: > 0 } email || !MailboxAddress.TryParse(email, out var address))
        {
            return null;
        }

        address.Name = business.Name;
        return address;
    }

    /// <summary>
    /// On a client's email that has no <see cref="ReplyTo"/> (the business gave no contact email), a visible line saying
    /// replies are not read and how to reach the business instead: its phone, else its postal address, else that it gave
    /// neither (decision 348). Without it a client's reply goes to the no-reply sender and nobody hears of it. Null on every
    /// other email.
    /// </summary>
    public static string? NoReplyLine(string? kind, BusinessLook business)
    {
        if (kind is null || !MessageKinds.ToClient(kind) || ReplyTo(kind, business) is not null)
        {
            return null;
        }

        const string Head = "Replies to this email are not read.";
        if (!string.IsNullOrWhiteSpace(business.Phone))
        {
            return $"{Head} To reach {business.Name}, call {business.Phone}.";
        }

        return business.AddressLine is { } address
            ? $"{Head} To reach {business.Name}, visit or write to {address}."
            : $"{Head} {business.Name} has not given an email address or phone number for messages.";
    }

    /// <summary>
    /// Why the reader got an email of <paramref name="kind"/>, in plain words; null for a client's email or a kind not
    /// known here (or no kind), which keep the business's footer. The template preview passes the kind of the notification
    /// it shows (decision 265): every template goes to a diary's contact or an extra address.
    /// </summary>
    public static string? Reason(string? kind, IReadOnlyDictionary<string, string?> values, string business)
    {
        if (kind is null || MessageKinds.ToClient(kind))
        {
            return null;
        }

        var diary = values.GetValueOrDefault(MergeFields.DiaryName) is { Length: > 0 } name ? name.Trim() : null;
        // No possessive after the business's name, whose apostrophe rule we cannot know (decision 302, decision 311).
        var ofDiary = diary is null ? $"one of the diaries at {business}" : $"the diary {diary} at {business}";
        if (kind is MessageKinds.ExtraAddressConfirmation or MessageKinds.DiaryContactConfirmation)
        {
            return $"You get this because {business} entered this address for its booking emails.";
        }

        if (MessageKinds.ToDeciders.Contains(kind))
        {
            return $"You get this as an owner or admin of {business}, at the email you sign in with.";
        }

        if (MessageKinds.StandIns.Values.Contains(kind))
        {
            return $"You get this as an extra address for booking emails from {business} (Setup → Client Portal), standing in for the contact of "
                + (diary is null ? "one of its diaries" : $"its diary {diary}") + ", whose address is not confirmed.";
        }

        if (kind == MessageKinds.ExtraAddressNew)
        {
            return $"You get this as an extra address for booking emails from {business} (Setup → Client Portal).";
        }

        if (MessageKinds.ToDiaryContact(kind))
        {
            return $"You get this as the contact email of {ofDiary} (Setup → Roster).";
        }

        return kind switch
        {
            MessageKinds.StaffPasswordReset or MessageKinds.StaffEmailVerification or MessageKinds.StaffEmailChangeAsked =>
                $"You get this because this is the email you sign in to the staff pages of {business} with.",
            MessageKinds.StaffSignInEmailChanged => $"You get this because this was the email you signed in to the staff pages of {business} with.",
            MessageKinds.StaffEmailConfirmation => $"You get this because this address was given as a new sign-in email for the staff pages of {business}.",
            MessageKinds.StaffInvitation => $"You get this because this address was added to the team at {business}.",
            _ => null,
        };
    }
}
