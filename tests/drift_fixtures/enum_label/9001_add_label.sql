-- A label the Rust enum does not know.
ALTER TYPE chat_type ADD VALUE 'data_scientist';
