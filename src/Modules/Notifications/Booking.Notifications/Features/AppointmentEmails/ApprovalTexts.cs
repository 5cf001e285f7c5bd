namespace Booking.Notifications.Features.AppointmentEmails;

// Review J17 and J9: kept in their own file beside ClientTexts.cs so changes to the other texts merge cleanly.
public static partial class ClientTexts
{
    /// <summary>Staff approved a client who was waiting for approval (PortalAuth's <c>ClientApproved</c>).</summary>
    public static readonly (string Subject, string Body) ClientApproved = (
        "You can now book directly with {BusinessName}",
        "Hi {ClientFirstName},\n\n{BusinessName} has approved you as a client. From now on your bookings are confirmed straight away: no request to wait on.\n\n{ClosingApproved}");
}

public static partial class StaffTexts
{
    /// <summary>
    /// A client withdrew a booking request the diary contact was told to confirm or decline; the reason they gave, as the
    /// cancellation request's email gives it ("Reason:", left out without one).
    /// </summary>
    public static readonly (string Subject, string Body) BookingRequestWithdrawn = (
        "Booking request withdrawn: {ClientFullName}",
        "{ClientFullName} ({ClientPhone}, {ClientEmail}) withdrew their booking request for:\n{ServiceName} {WithDiary}\nFor: {PetName}\n{AppointmentTimes}\nReason: {CancellationReason}\n\nThere is nothing to confirm or decline: the time is free again.");
}
