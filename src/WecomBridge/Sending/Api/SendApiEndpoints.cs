using WecomBridge.Api;
using WecomBridge.Sending.Suppression;

namespace WecomBridge.Sending.Api;

/// <summary>
/// The send API: POST /api/v1/messages queues a send for the dispatcher (202 + Location), GET /api/v1/messages/{id}
/// shows its status, DELETE /api/v1/messages/{id} cancels it while no dispatcher is sending it, and
/// …/suppressions/… edit the recipients the dispatcher never sends to.
/// </summary>
internal static class SendApiEndpoints
{
    public static RouteGroupBuilder MapSendApi(this RouteGroupBuilder api)
    {
        var services = ((IEndpointRouteBuilder)api).ServiceProvider;
        var endpoints = ActivatorUtilities.CreateInstance<MessageEndpoints>(services, ActivatorUtilities.CreateInstance<SendQueue>(services));

        var messages = api.MapGroup("/messages").WithTags("Send");
        messages.MapPost("/", endpoints.SendAsync)
            .WithMetadata(new ApiBodyLimit(SendLimits.BodyBytes))
            .Accepts<SendMessageRequest>("application/json")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        messages.MapGet("/{id}", endpoints.GetAsync);
        messages.MapDelete("/{id}", ActivatorUtilities.CreateInstance<MessageCancel>(services).CancelAsync)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        api.MapSuppressions();
        return api;
    }
}
