using Booking.BuildingBlocks.Problems;
using Booking.BuildingBlocks.Web;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Booking.Appointments.Features.Reports;

/// <summary>The month's report and its appointments as CSV: owners and admins (decision 275).</summary>
public static class ReportsEndpoints
{
    public static void MapReports(this IEndpointRouteBuilder app)
    {
        var reports = app.MapGroup("/api/v1/admin/reports").WithTags("Staff");
        reports.MapGet("/month", async (string? month, ISender sender, CancellationToken ct) =>
                Results.Ok(await sender.Send(new GetMonthReport(month), ct)))
            .RequireStaff(StaffRoles.Setup)
            .WithName("GetMonthReport")
            .Answers(400, ProblemKinds.Validation)
            .WithSummary("A month's figures per diary and in total (?month=YYYY-MM, default this month in the business's zone): appointments by status, cancellations, booking requests, new clients, takings from the prices kept at booking.")
            .Produces<MonthReportView>()
            .ProducesValidationProblem();

        reports.MapGet("/month.csv", async (string? month, ISender sender, CancellationToken ct) =>
            {
                // The month is judged before the answer starts (a bad one is 400 validation); the rows are then streamed.
                var file = await sender.Send(new GetMonthAppointmentsCsv(month), ct);
                return Results.Stream(stream => file.WriteAsync(stream, ct), "text/csv; charset=utf-8", file.FileName);
            })
            .RequireStaff(StaffRoles.Setup)
            .WithName("GetMonthAppointmentsCsv")
            .Answers(400, ProblemKinds.Validation)
            .WithSummary("The month's appointments (any status), one CSV row each, local times: appointments-YYYY-MM.csv (UTF-8 with BOM, RFC 4180, formula-like cells prefixed with ').")
            .Produces(StatusCodes.Status200OK, contentType: "text/csv")
            .ProducesValidationProblem();
    }
}
