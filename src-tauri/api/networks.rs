use super::Active;
use crate::engine::networks::{self, Network, NetworkCheck, NetworkDetails, NetworkSpec, Removal};
use crate::engine::EngineError;

/// Networks with the containers attached to each (`docker network ls`).
#[tauri::command]
#[specta::specta]
pub async fn list_networks(engine: Active) -> Result<Vec<Network>, EngineError> {
    networks::list(&engine.docker()?).await
}

/// One network in full, with every container attached and its addresses and aliases.
#[tauri::command]
#[specta::specta]
pub async fn network_details(engine: Active, id: String) -> Result<NetworkDetails, EngineError> {
    networks::inspect(&engine.docker()?, &id).await
}

/// Check the create-network dialog: each problem beside its field, and the CLI line.
#[tauri::command]
#[specta::specta]
pub async fn check_network(engine: Active, spec: NetworkSpec) -> Result<NetworkCheck, EngineError> {
    networks::check_create(&engine.docker()?, &spec).await
}

/// `docker network create`; the new network's id.
#[tauri::command]
#[specta::specta]
pub async fn create_network(engine: Active, spec: NetworkSpec) -> Result<String, EngineError> {
    engine.create_network(&spec).await
}

/// `docker network rm`; with `disconnect_first`, every attached container is disconnected first.
#[tauri::command]
#[specta::specta]
pub async fn remove_network(
    engine: Active,
    id: String,
    disconnect_first: bool,
) -> Result<(), EngineError> {
    engine.remove_network(&id, disconnect_first).await
}

/// The networks "Prune networks" would remove, for the user to see before confirming.
#[tauri::command]
#[specta::specta]
pub async fn network_prune_candidates(engine: Active) -> Result<Vec<Network>, EngineError> {
    networks::prune_candidates(&engine.docker()?).await
}

/// Remove the networks the user confirmed; what happened to each.
#[tauri::command]
#[specta::specta]
pub async fn prune_networks(
    engine: Active,
    names: Vec<String>,
) -> Result<Vec<Removal>, EngineError> {
    engine.prune_networks(&names).await
}

/// `docker network connect --alias ... NETWORK CONTAINER`.
#[tauri::command]
#[specta::specta]
pub async fn connect_network(
    engine: Active,
    network: String,
    container: String,
    aliases: Vec<String>,
) -> Result<(), EngineError> {
    networks::connect(&engine.docker()?, &network, &container, &aliases).await
}

/// `docker network disconnect NETWORK CONTAINER`.
#[tauri::command]
#[specta::specta]
pub async fn disconnect_network(
    engine: Active,
    network: String,
    container: String,
) -> Result<(), EngineError> {
    networks::disconnect(&engine.docker()?, &network, &container, false).await
}
